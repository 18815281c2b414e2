package io.paystream.channels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;

/** Writes public keys as PEM (X.509 SubjectPublicKeyInfo), the form the channels publish them in. */
public final class Pem {
    private Pem() {}

    public static String publicKey(PublicKey key) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** A private key as PEM (PKCS#8 {@code PRIVATE KEY}), the form the channels' SDKs read. */
    public static String privateKey(java.security.PrivateKey key) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    public static Path write(Path file, PublicKey key) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, publicKey(key));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
