package dev.palisade.gateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a client address lies in the network a token is bound to ({@code net} claim: CIDR text). */
public final class ClientNetwork {

    private ClientNetwork() {
    }

    public static boolean contains(String cidr, String address) {
        if (cidr == null || cidr.isBlank()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        try {
            int slash = cidr.indexOf('/');
            byte[] network = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
            byte[] client = InetAddress.getByName(address).getAddress();
            if (network.length != client.length) {
                return false;
            }
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((network[bit / 8] & mask) != (client[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
