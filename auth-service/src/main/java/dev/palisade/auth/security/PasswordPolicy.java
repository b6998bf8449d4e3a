package dev.palisade.auth.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.config.AuthConfig;

/**
 * NIST SP 800-63B memorised-secret rules: a minimum and maximum length counted in characters (after Unicode
 * normalisation), every printable character and space allowed, no composition rules, and a refusal of passwords
 * that are commonly used, repetitive or sequential, or derived from the service or the user's own e-mail.
 */
@ApplicationScoped
public class PasswordPolicy {

    private static final Set<String> CONTEXT_WORDS = Set.of("palisade", "iptv");

    private final int minLength;
    private final int maxLength;
    private final Set<String> blocklist = new HashSet<>();

    PasswordPolicy(AuthConfig config) {
        this.minLength = config.password().minLength();
        this.maxLength = config.password().maxLength();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("/security/common-passwords.txt")) {
            load(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.password().blocklistFile().ifPresent(file -> {
            try (Stream<String> lines = Files.lines(Path.of(file), StandardCharsets.UTF_8)) {
                load(lines);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read palisade.auth.password.blocklist-file " + file, e);
            }
        });
    }

    private void load(Stream<String> lines) {
        lines.map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.toLowerCase(Locale.ROOT))
                .forEach(blocklist::add);
    }

    /** Why {@code password} is refused for the account {@code email}, or empty when it is acceptable. */
    public Optional<String> problem(String password, String email) {
        if (password == null) {
            return Optional.of("a password is required");
        }
        String normalised = java.text.Normalizer.normalize(password, java.text.Normalizer.Form.NFKC);
        int length = normalised.codePointCount(0, normalised.length());
        if (length < minLength) {
            return Optional.of("must be at least " + minLength + " characters long");
        }
        if (length > maxLength) {
            return Optional.of("must be at most " + maxLength + " characters long");
        }
        String lower = normalised.toLowerCase(Locale.ROOT);
        if (blocklist.contains(lower)) {
            return Optional.of("is too common; choose a password others are unlikely to use");
        }
        if (isRepetitiveOrSequential(lower)) {
            return Optional.of("is a repetition or sequence of characters");
        }
        String local = email == null ? "" : email.toLowerCase(Locale.ROOT).split("@")[0];
        if (local.length() >= 4 && lower.contains(local)) {
            return Optional.of("must not contain your e-mail address");
        }
        for (String word : CONTEXT_WORDS) {
            if (lower.replaceAll("[^a-z]", "").equals(word) || lower.startsWith(word) && lower.length() - word.length() < 6) {
                return Optional.of("must not be based on the service's name");
            }
        }
        return Optional.empty();
    }

    /** One repeated unit ("abcabcabc…", "aaaa…") or a run of ascending/descending code points ("12345…", "zyx…"). */
    static boolean isRepetitiveOrSequential(String s) {
        int n = s.length();
        for (int unit = 1; unit <= n / 2; unit++) {
            if (n % unit == 0 && s.substring(0, unit).repeat(n / unit).equals(s)) {
                return true;
            }
        }
        boolean ascending = true;
        boolean descending = true;
        for (int i = 1; i < n; i++) {
            int step = s.charAt(i) - s.charAt(i - 1);
            ascending &= step == 1;
            descending &= step == -1;
        }
        return ascending || descending;
    }
}
