package io.paystream.functions.callbacks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * JDK crypto for one verifying thread: the Signature, Mac, Cipher and digest instances are made
 * once and reused (making them per record costs more than the verification itself).
 */
final class Crypto {
    private final Signature rsa;
    private final Mac hmac;
    private final Cipher gcm;
    private final MessageDigest sha256;

    Crypto() {
        try {
            rsa = Signature.getInstance("SHA256withRSA");
            hmac = Mac.getInstance("HmacSHA256");
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA256withRSA, HmacSHA256 or AES/GCM", e);
        }
    }

    /** SHA256-with-RSA over the UTF-8 bytes of {@code content}; false for a malformed signature too. */
    boolean verifyRsa(PublicKey key, String content, String base64Signature) {
        try {
            byte[] sig = Base64.getDecoder().decode(base64Signature);
            rsa.initVerify(key);
            rsa.update(content.getBytes(StandardCharsets.UTF_8));
            return rsa.verify(sig);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** Base64 HMAC-SHA256, compared in constant time. */
    boolean verifyHmac(byte[] secret, byte[] content, String base64Mac) {
        try {
            byte[] expected = Base64.getDecoder().decode(base64Mac);
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return MessageDigest.isEqual(hmac.doFinal(content), expected);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    String sha256Hex(String content) {
        return HexFormat.of().formatHex(sha256.digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** AEAD_AES_256_GCM as WeChat Pay uses it; null when the tag does not verify. */
    String decryptGcm(byte[] key, String nonce, String associatedData, String base64Ciphertext) {
        try {
            gcm.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
            if (associatedData != null) {
                gcm.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            }
            return new String(gcm.doFinal(Base64.getDecoder().decode(base64Ciphertext)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
    }
}
