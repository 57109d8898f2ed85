package io.voiceorder.bridge.config;

/** An IPv4 network ({@code --allow-from 192.0.2.0/28}; a bare address is a /32), as peer mode matches sources. */
public record Cidr(int network, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        network = network & mask(prefix);
    }

    /** Parses {@code a.b.c.d[/n]}; null when it is not an IPv4 CIDR. */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        int prefix = 32;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > 32) {
                return null;
            }
            s = s.substring(0, slash);
        }
        Integer address = ipv4(s);
        return address == null ? null : new Cidr(address, prefix);
    }

    /** Whether the dotted IPv4 address {@code ip} lies inside this network (false for anything else). */
    public boolean contains(String ip) {
        Integer address = ipv4(ip);
        return address != null && (address & mask(prefix)) == network;
    }

    static Integer ipv4(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return null;
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    @Override
    public String toString() {
        return ((network >>> 24) & 0xff) + "." + ((network >>> 16) & 0xff) + "." + ((network >>> 8) & 0xff) + "."
                + (network & 0xff) + "/" + prefix;
    }
}
