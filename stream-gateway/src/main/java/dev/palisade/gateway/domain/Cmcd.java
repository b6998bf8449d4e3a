package dev.palisade.gateway.domain;

import java.util.HashMap;
import java.util.Map;

/**
 * Common Media Client Data (CTA-5004) as players send it: the {@code CMCD} query parameter or the
 * {@code CMCD-Request}, {@code CMCD-Object}, {@code CMCD-Status} and {@code CMCD-Session} headers, each a comma-separated
 * list of {@code key=value} (strings quoted) or bare {@code key} (boolean true).
 */
public final class Cmcd {

    private Cmcd() {
    }

    public static Map<String, String> parse(String... parts) {
        Map<String, String> values = new HashMap<>();
        for (String part : parts) {
            if (part == null || part.isBlank()) {
                continue;
            }
            StringBuilder token = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i <= part.length(); i++) {
                char c = i < part.length() ? part.charAt(i) : ',';
                if (c == '"') {
                    quoted = !quoted;
                    token.append(c);
                } else if (c == ',' && !quoted) {
                    put(values, token.toString().trim());
                    token.setLength(0);
                } else {
                    token.append(c);
                }
            }
        }
        return values;
    }

    private static void put(Map<String, String> values, String pair) {
        if (pair.isEmpty()) {
            return;
        }
        int eq = pair.indexOf('=');
        if (eq < 0) {
            values.put(pair, "true");
            return;
        }
        String value = pair.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        values.put(pair.substring(0, eq).trim(), value);
    }

    public static Double number(Map<String, String> cmcd, String key) {
        String v = cmcd.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
