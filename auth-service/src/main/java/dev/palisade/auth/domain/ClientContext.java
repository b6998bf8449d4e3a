package dev.palisade.auth.domain;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who is asking, as far as the edge can tell: client IP (after trusted proxies), user agent, the app's device id,
 * and the country the API gateway resolved (header {@code X-Client-Country}), if any.
 */
public record ClientContext(String ip, String userAgent, String deviceId, String country) {

    /** The client's network: /24 for IPv4, /64 for IPv6; the IP itself when it cannot be parsed. */
    public String network() {
        if (ip == null) {
            return "unknown";
        }
        try {
            byte[] address = InetAddress.getByName(ip).getAddress();
            int prefixBytes = address.length == 4 ? 3 : 8;
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < prefixBytes; i++) {
                network.append(i == 0 ? "" : address.length == 4 ? "." : ":").append(address.length == 4
                        ? Integer.toString(address[i] & 0xff) : String.format("%02x", address[i] & 0xff));
            }
            return network.append(address.length == 4 ? ".0/24" : "::/64").toString();
        } catch (UnknownHostException e) {
            return ip;
        }
    }
}
