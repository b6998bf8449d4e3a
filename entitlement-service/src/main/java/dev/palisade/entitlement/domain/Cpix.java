package dev.palisade.entitlement.domain;

import java.io.StringWriter;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * DASH-IF CPIX 2.3 documents: the content keys of a channel over a range of key periods, for packagers and origins
 * that encrypt themselves. Keys travel as PSKC plain values (the document must only move over TLS to an
 * authorised operator or packager); each key is bound to its period by a usage rule with a key-period filter, and
 * HLS players are pointed at the key endpoint by {@code URIExtXKey}.
 */
public final class Cpix {

    public static final String NS = "urn:dashif:org:cpix";
    public static final String PSKC = "urn:ietf:params:xml:ns:keyprov:pskc";
    /** The W3C Clear Key system id (HLS AES-128 has none of its own); the same keys are served by the Clear Key licence. */
    public static final String CLEAR_KEY_SYSTEM_ID = "e2719d58-a985-b3c9-781a-b030af78d30e";

    private Cpix() {
    }

    /** {@code hlsKeyUri} gives the key endpoint URI for a key id. */
    public static String document(String channelId, List<ContentKeyService.ClearKey> keys, java.util.function.Function<UUID, String> hlsKeyUri) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.setPrefix("cpix", NS);
            xml.setPrefix("pskc", PSKC);
            xml.writeStartElement("cpix", "CPIX", NS);
            xml.writeNamespace("cpix", NS);
            xml.writeNamespace("pskc", PSKC);
            xml.writeAttribute("version", "2.3");
            xml.writeAttribute("contentId", channelId);

            xml.writeStartElement(NS, "ContentKeyList");
            for (ContentKeyService.ClearKey k : keys) {
                xml.writeStartElement(NS, "ContentKey");
                xml.writeAttribute("kid", k.kid().toString());
                xml.writeStartElement(NS, "Data");
                xml.writeStartElement(PSKC, "Secret");
                xml.writeStartElement(PSKC, "PlainValue");
                xml.writeCharacters(Base64.getEncoder().encodeToString(k.key()));
                xml.writeEndElement();
                xml.writeEndElement();
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();

            xml.writeStartElement(NS, "DRMSystemList");
            for (ContentKeyService.ClearKey k : keys) {
                xml.writeStartElement(NS, "DRMSystem");
                xml.writeAttribute("kid", k.kid().toString());
                xml.writeAttribute("systemId", CLEAR_KEY_SYSTEM_ID);
                xml.writeStartElement(NS, "URIExtXKey");
                xml.writeCharacters(Base64.getEncoder().encodeToString(hlsKeyUri.apply(k.kid()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();

            xml.writeStartElement(NS, "ContentKeyPeriodList");
            for (ContentKeyService.ClearKey k : keys) {
                xml.writeEmptyElement(NS, "ContentKeyPeriod");
                xml.writeAttribute("id", "period-" + k.period());
                xml.writeAttribute("index", Long.toString(k.period()));
                xml.writeAttribute("start", k.notBefore().toString());
                xml.writeAttribute("end", k.notAfter().toString());
            }
            xml.writeEndElement();

            xml.writeStartElement(NS, "ContentKeyUsageRuleList");
            for (ContentKeyService.ClearKey k : keys) {
                xml.writeStartElement(NS, "ContentKeyUsageRule");
                xml.writeAttribute("kid", k.kid().toString());
                xml.writeEmptyElement(NS, "KeyPeriodFilter");
                xml.writeAttribute("periodId", "period-" + k.period());
                xml.writeEndElement();
            }
            xml.writeEndElement();

            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Writing the CPIX document failed", e);
        }
        return out.toString();
    }
}
