package dev.mqttkit;

import java.util.Random;

/** Random hostile input for the fuzz tests: topics, filters and payloads a careless or malicious peer may send. */
final class Fuzz {

    private static final String[] PIECES = {
        "a", "b", "sensor", "/", "/", "//", "+", "#", "$", "$SYS", "$share/", " ", "\u0000", "\u0001", "\u001F",
        "\u007F", "\u0085", "\u009F", "é", "中", "Ａ", "\uFDD0", "\uFDEF", "\uFFFD", "\uFFFE", "\uFFFF",
        "😀", "𠀋", "\uD800", "\uDC00", "\uDBFF\uDFFF", "{id}", "{", "}", "{rest...}", "\n", "\t", "\\", "%", "*",
        " mqttkit-alias/", "\u200B", "\u202E"
    };

    private final Random random;

    Fuzz(long seed) {
        this.random = new Random(seed);
    }

    /** A string of 0 to 12 pieces, now and then a very long one. */
    String text() {
        if (random.nextInt(200) == 0) {
            return "x".repeat(65_530 + random.nextInt(10)); // around the 65,535-byte limit
        }
        StringBuilder out = new StringBuilder();
        int pieces = random.nextInt(13);
        for (int i = 0; i < pieces; i++) {
            if (random.nextInt(4) == 0) {
                out.append((char) random.nextInt(0x10000)); // any UTF-16 unit, lone surrogates included
            } else {
                out.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return out.toString();
    }

    /** A string that is valid Unicode (no lone surrogates), for what a broker may deliver. */
    String validText() {
        String text = text();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static final String[] NUMBER_PIECES = {
        "0", "1", "7", "42", "-", "+", ".", "e", "E", "nan", "inf", "Infinity", "True", "False", "true", "0x1F",
        " ", "9223372036854775808", "1d", "\u0661", "_"
    };

    /** Text that looks like a number or a boolean, often enough to be one. */
    String numberish() {
        StringBuilder out = new StringBuilder();
        int pieces = 1 + random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            out.append(NUMBER_PIECES[random.nextInt(NUMBER_PIECES.length)]);
        }
        return out.toString();
    }

    /** Random bytes, 0 to 2 KiB. */
    byte[] bytes() {
        byte[] bytes = new byte[random.nextInt(2049)];
        random.nextBytes(bytes);
        return bytes;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** The input as Java source would write it, for a failure message. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        String shown = text.length() > 80 ? text.substring(0, 80) : text;
        for (char c : shown.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return out + (text.length() > 80 ? "...(" + text.length() + " chars)" : "");
    }
}
