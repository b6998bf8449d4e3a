package dev.palisade.entitlement.domain;

import java.io.InputStream;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * XMLTV (the programme-guide format every IPTV app reads): a streaming reader that validates as it goes and fails
 * with the line and the reason, and a writer. DTDs and external entities are refused outright (no XXE).
 */
public final class Xmltv {

    /** A programme as read from or written to XMLTV. */
    public record Programme(String channel, Instant start, Instant stop, String title, String subTitle, String description,
            String category, String episode, String rating, String icon) {
    }

    /** A {@code <channel>} element: the guide's name for an EPG id. */
    public record GuideChannel(String id, String displayName, String icon) {
    }

    /** What a file held. */
    public record Guide(Map<String, GuideChannel> channels, List<Programme> programmes, int inferredStops) {
    }

    /** The input is not acceptable XMLTV; {@code line} is 1-based (0 when unknown). */
    public static final class Malformed extends RuntimeException {
        private final int line;

        public Malformed(int line, String reason) {
            super(reason);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private static final DateTimeFormatter XMLTV_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss Z");
    private static final int MAX_TEXT = 4000;

    private Xmltv() {
    }

    /**
     * Reads a whole guide, at most {@code maxProgrammes} programmes. A programme without {@code stop} ends where the
     * next one of its channel starts (the last one of a channel without stop is refused).
     */
    public static Guide read(InputStream in, int maxProgrammes) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        XMLStreamReader xml = null;
        Map<String, GuideChannel> channels = new LinkedHashMap<>();
        List<Programme> programmes = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try {
            xml = factory.createXMLStreamReader(in);
            while (xml.hasNext() && xml.next() != XMLStreamConstants.START_ELEMENT) {
                if (xml.getEventType() == XMLStreamConstants.DTD) {
                    throw new Malformed(line(xml), "DOCTYPE declarations are not accepted");
                }
            }
            if (!xml.isStartElement() || !"tv".equals(xml.getLocalName())) {
                throw new Malformed(line(xml), "the root element must be <tv>");
            }
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD) {
                    throw new Malformed(line(xml), "DOCTYPE declarations are not accepted");
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (xml.getLocalName()) {
                    case "channel" -> {
                        GuideChannel c = channel(xml);
                        channels.put(c.id(), c);
                    }
                    case "programme" -> {
                        if (programmes.size() >= maxProgrammes) {
                            throw new Malformed(line(xml), "more than " + maxProgrammes + " programmes in one file");
                        }
                        lines.add(line(xml));
                        programmes.add(programme(xml));
                    }
                    default -> skip(xml);
                }
            }
        } catch (XMLStreamException e) {
            int line = e.getLocation() != null ? e.getLocation().getLineNumber() : xml == null ? 0 : line(xml);
            String message = e.getMessage() == null ? "not well-formed XML" : e.getMessage().replaceAll("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
            throw new Malformed(Math.max(line, 0), "not well-formed XML: " + message.trim());
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // nothing to do
                }
            }
        }
        int inferred = inferStops(programmes, lines);
        return new Guide(channels, programmes, inferred);
    }

    private static GuideChannel channel(XMLStreamReader xml) throws XMLStreamException {
        int line = line(xml);
        String id = xml.getAttributeValue(null, "id");
        if (id == null || id.isBlank()) {
            throw new Malformed(line, "<channel> without id");
        }
        String name = null;
        String icon = null;
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                if ("display-name".equals(xml.getLocalName()) && name == null) {
                    name = text(xml);
                } else if ("icon".equals(xml.getLocalName())) {
                    icon = xml.getAttributeValue(null, "src");
                    skip(xml);
                } else {
                    skip(xml);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        return new GuideChannel(id.trim(), name == null || name.isBlank() ? id.trim() : name, icon);
    }

    private static Programme programme(XMLStreamReader xml) throws XMLStreamException {
        int line = line(xml);
        String channel = xml.getAttributeValue(null, "channel");
        if (channel == null || channel.isBlank()) {
            throw new Malformed(line, "<programme> without channel attribute");
        }
        Instant start = time(xml.getAttributeValue(null, "start"), "start", line);
        if (start == null) {
            throw new Malformed(line, "<programme> without start attribute");
        }
        Instant stop = time(xml.getAttributeValue(null, "stop"), "stop", line);
        if (stop != null && !stop.isAfter(start)) {
            throw new Malformed(line, "<programme> stop " + xml.getAttributeValue(null, "stop") + " is not after its start");
        }
        String title = null;
        String subTitle = null;
        String desc = null;
        String category = null;
        String episode = null;
        String rating = null;
        String icon = null;
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "title" -> title = title == null ? text(xml) : skipReturning(xml, title);
                    case "sub-title" -> subTitle = subTitle == null ? text(xml) : skipReturning(xml, subTitle);
                    case "desc" -> desc = desc == null ? text(xml) : skipReturning(xml, desc);
                    case "category" -> category = category == null ? text(xml) : skipReturning(xml, category);
                    case "episode-num" -> episode = episode == null ? text(xml) : skipReturning(xml, episode);
                    case "rating" -> rating = rating == null ? ratingValue(xml) : skipReturning(xml, rating);
                    case "icon" -> {
                        icon = xml.getAttributeValue(null, "src");
                        skip(xml);
                    }
                    default -> skip(xml);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        if (title == null || title.isBlank()) {
            throw new Malformed(line, "<programme> on " + channel + " at " + start + " without a title");
        }
        return new Programme(channel.trim(), start, stop, title, subTitle, desc, category, episode, rating, icon);
    }

    private static String ratingValue(XMLStreamReader xml) throws XMLStreamException {
        String value = null;
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                if ("value".equals(xml.getLocalName()) && value == null) {
                    value = text(xml);
                } else {
                    skip(xml);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        return value;
    }

    /** XMLTV times: {@code YYYYMMDDhhmmss +hhmm}, seconds and zone optional (no zone: UTC). */
    static Instant time(String value, String attribute, int line) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            String digits = v.split(" ")[0];
            String zone = v.length() > digits.length() ? v.substring(digits.length()).trim() : "+0000";
            if (digits.length() == 12) {
                digits = digits + "00";
            }
            if (digits.length() != 14 || !digits.chars().allMatch(Character::isDigit)) {
                throw new DateTimeParseException("bad digits", v, 0);
            }
            return OffsetDateTime.parse(digits + " " + zone, XMLTV_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new Malformed(line, "<programme> " + attribute + " '" + value + "' is not an XMLTV time (YYYYMMDDhhmmss +hhmm)");
        }
    }

    private static int inferStops(List<Programme> programmes, List<Integer> lines) {
        Map<String, List<Integer>> byChannel = new HashMap<>();
        for (int i = 0; i < programmes.size(); i++) {
            byChannel.computeIfAbsent(programmes.get(i).channel(), k -> new ArrayList<>()).add(i);
        }
        int inferred = 0;
        for (List<Integer> indexes : byChannel.values()) {
            indexes.sort(Comparator.comparing(i -> programmes.get(i).start()));
            for (int k = 0; k < indexes.size(); k++) {
                Programme p = programmes.get(indexes.get(k));
                if (p.stop() != null) {
                    continue;
                }
                Programme next = k + 1 < indexes.size() ? programmes.get(indexes.get(k + 1)) : null;
                if (next == null || !next.start().isAfter(p.start())) {
                    throw new Malformed(lines.get(indexes.get(k)), "<programme> on " + p.channel() + " at " + p.start()
                            + " has no stop and no later programme to end it");
                }
                programmes.set(indexes.get(k), new Programme(p.channel(), p.start(), next.start(), p.title(), p.subTitle(), p.description(),
                        p.category(), p.episode(), p.rating(), p.icon()));
                inferred++;
            }
        }
        return inferred;
    }

    private static String text(XMLStreamReader xml) throws XMLStreamException {
        int line = line(xml);
        String name = xml.getLocalName();
        String text;
        try {
            text = xml.getElementText();
        } catch (XMLStreamException e) {
            if (e.getMessage() != null && e.getMessage().contains("elementGetText() function expects text only")) {
                throw new Malformed(line, "<" + name + "> must contain text only");
            }
            throw e;
        }
        text = text.strip();
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    private static String skipReturning(XMLStreamReader xml, String keep) throws XMLStreamException {
        skip(xml);
        return keep;
    }

    private static void skip(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static int line(XMLStreamReader xml) {
        return xml.getLocation() == null ? 0 : xml.getLocation().getLineNumber();
    }

    /** Writes a guide: channels first, then their programmes in time order. */
    public static void write(Writer out, List<GuideChannel> channels, List<Programme> programmes, String generator) {
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("tv");
            xml.writeAttribute("generator-info-name", generator);
            xml.writeCharacters("\n");
            for (GuideChannel c : channels) {
                xml.writeCharacters("  ");
                xml.writeStartElement("channel");
                xml.writeAttribute("id", c.id());
                element(xml, "display-name", c.displayName());
                if (c.icon() != null) {
                    xml.writeEmptyElement("icon");
                    xml.writeAttribute("src", c.icon());
                }
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            for (Programme p : programmes) {
                xml.writeCharacters("  ");
                xml.writeStartElement("programme");
                xml.writeAttribute("start", format(p.start()));
                xml.writeAttribute("stop", format(p.stop()));
                xml.writeAttribute("channel", p.channel());
                element(xml, "title", p.title());
                element(xml, "sub-title", p.subTitle());
                element(xml, "desc", p.description());
                element(xml, "category", p.category());
                if (p.episode() != null) {
                    xml.writeStartElement("episode-num");
                    xml.writeAttribute("system", "xmltv_ns");
                    xml.writeCharacters(p.episode());
                    xml.writeEndElement();
                }
                if (p.icon() != null) {
                    xml.writeEmptyElement("icon");
                    xml.writeAttribute("src", p.icon());
                }
                if (p.rating() != null) {
                    xml.writeStartElement("rating");
                    element(xml, "value", p.rating());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Writing XMLTV failed", e);
        }
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        if (text == null) {
            return;
        }
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    public static String format(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + " +0000";
    }
}
