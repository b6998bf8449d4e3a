package dev.palisade.gateway.support;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** A media playlist as the gateway wrote it, and what a player does with it. */
public final class GatewayPlaylist {

    private static final Pattern KEY = Pattern.compile("#EXT-X-KEY:METHOD=AES-128,URI=\"([^\"]+)\",IV=0x([0-9a-f]{32})");

    /** A segment entry: absolute gateway path of the segment, key URI, IV, media sequence. */
    public record Entry(long sequence, String url, String keyUri, byte[] iv) {
    }

    private GatewayPlaylist() {
    }

    /** Entries of the playlist fetched at {@code playlistPath} (segment URIs resolved against it). */
    public static List<Entry> entries(String playlistPath, String text) {
        String dir = playlistPath.substring(0, playlistPath.lastIndexOf('/') + 1);
        List<Entry> entries = new ArrayList<>();
        String keyUri = null;
        byte[] iv = null;
        for (String line : text.split("\n")) {
            Matcher m = KEY.matcher(line);
            if (m.matches()) {
                keyUri = m.group(1);
                iv = HexFormat.of().parseHex(m.group(2));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                long seq = Long.parseLong(line.substring(0, line.indexOf('.')));
                entries.add(new Entry(seq, dir + line, keyUri, iv));
            }
        }
        return entries;
    }

    public static byte[] decrypt(byte[] encrypted, byte[] key, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(encrypted);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
