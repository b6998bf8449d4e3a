package dev.palisade.auth.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** E-mail addresses as account names: trimmed, NFKC-normalised and lower-cased, so one mailbox is one account. */
public final class EmailAddress {

    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final int MAX_LENGTH = 254;

    private EmailAddress() {
    }

    /** The normalised address, or empty when {@code raw} is not shaped like an address. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String email = Normalizer.normalize(raw.trim(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (email.length() > MAX_LENGTH || !SHAPE.matcher(email).matches()) {
            return Optional.empty();
        }
        return Optional.of(email);
    }
}
