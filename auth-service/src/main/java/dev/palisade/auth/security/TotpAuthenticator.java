package dev.palisade.auth.security;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.codec.binary.Base32;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import dev.palisade.auth.config.AuthConfig;

/**
 * RFC 6238 TOTP with the parameters every authenticator app supports (HMAC-SHA1, 6 digits, 30-second steps):
 * secrets, {@code otpauth://} URIs and their QR codes, and verification within ±{@code window} steps that
 * refuses any step at or before the last one accepted, so a code works once only.
 */
@ApplicationScoped
public class TotpAuthenticator {

    public static final Duration STEP = Duration.ofSeconds(30);
    private static final int DIGITS = 6;
    private static final int SECRET_BYTES = 20; // 160 bits, as RFC 4226 recommends for HMAC-SHA1

    private final TimeBasedOneTimePasswordGenerator generator;
    private final SecureRandom random = new SecureRandom();
    private final String label;
    private final int window;

    TotpAuthenticator(AuthConfig config) {
        this.generator = new TimeBasedOneTimePasswordGenerator(STEP, DIGITS, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
        this.label = config.totp().label();
        this.window = config.totp().window();
    }

    public byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    public static String base32(byte[] secret) {
        return new Base32().encodeAsString(secret).replace("=", "");
    }

    public String otpauthUri(String accountName, byte[] secret) {
        String issuer = URLEncoder.encode(label, StandardCharsets.UTF_8).replace("+", "%20");
        String account = URLEncoder.encode(accountName, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/" + issuer + ":" + account + "?secret=" + base32(secret) + "&issuer=" + issuer
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP.toSeconds();
    }

    /** A PNG QR code of {@code uri}, with a quiet zone, 8 pixels a module. */
    public byte[] qrPng(String uri) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(uri, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
            int scale = 8;
            BufferedImage image = new BufferedImage(matrix.getWidth() * scale, matrix.getHeight() * scale, BufferedImage.TYPE_BYTE_BINARY);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, matrix.get(x / scale, y / scale) ? 0xFF000000 : 0xFFFFFFFF);
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            return png.toByteArray();
        } catch (WriterException e) {
            throw new IllegalArgumentException("URI too long for a QR code", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.getSeconds());
    }

    /**
     * The time step whose code equals {@code code}, searching now ± window, newest first, and only steps after
     * {@code lastUsedStep} (a replayed or older code finds nothing).
     */
    public OptionalLong matchingStep(byte[] secret, String code, Instant now, Long lastUsedStep) {
        if (code == null || !code.matches("\\d{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA1");
        long current = step(now);
        long found = Long.MIN_VALUE;
        for (long s = current + window; s >= current - window; s--) {
            // Compare every candidate in constant time and keep going, so timing tells nothing.
            if (MessageDigest.isEqual(codeAt(key, s).getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII))
                    && found == Long.MIN_VALUE) {
                found = s;
            }
        }
        if (found == Long.MIN_VALUE || lastUsedStep != null && found <= lastUsedStep) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(found);
    }

    /** The code for a given step (for tests and diagnostics). */
    public String codeAt(byte[] secret, long step) {
        return codeAt(new SecretKeySpec(secret, "HmacSHA1"), step);
    }

    private String codeAt(SecretKeySpec key, long step) {
        try {
            int otp = generator.generateOneTimePassword(key, Instant.ofEpochSecond(step * STEP.getSeconds()));
            return String.format("%0" + DIGITS + "d", otp);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
