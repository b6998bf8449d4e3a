package dev.palisade.testsupport.contract;

import static io.restassured.module.jsv.JsonSchemaValidator.matchesJsonSchema;
import static org.hamcrest.MatcherAssert.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The event contract every service publishes: one JSON Schema per event type at
 * {@code src/main/resources/schemas/<topic>/<type>.json}. Producers check what they put on the topic against it;
 * consumers check their fixtures against the producer's copy. (The service provides rest-assured's
 * json-schema-validator on its test class path.)
 */
public final class EventSchemas {

    private EventSchemas() {
    }

    /** Fails unless {@code json} is a valid {@code type} event of {@code topic} (and a schema for it exists). */
    public static void assertMatches(String topic, String type, String json) {
        String path = "/schemas/" + topic + "/" + type + ".json";
        try (InputStream schema = EventSchemas.class.getResourceAsStream(path)) {
            if (schema == null) {
                throw new AssertionError("No schema for " + topic + " event type '" + type + "' (" + path + " on the class path)");
            }
            assertThat(type + ": " + json, json, matchesJsonSchema(new String(schema.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
