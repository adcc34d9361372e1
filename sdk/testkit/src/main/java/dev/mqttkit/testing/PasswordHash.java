package dev.mqttkit.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Mosquitto password-file hashes, so the fixture needs no {@code mosquitto_passwd} binary. */
final class PasswordHash {

    private PasswordHash() {
    }

    /** The {@code $6$} format: base64 salt and base64 SHA-512 of the password followed by the salt. */
    static String sha512(String password) {
        byte[] salt = new byte[12];
        new SecureRandom().nextBytes(salt);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            digest.update(password.getBytes(StandardCharsets.UTF_8));
            digest.update(salt);
            Base64.Encoder base64 = Base64.getEncoder();
            return "$6$" + base64.encodeToString(salt) + "$" + base64.encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }
}
