package io.paystream.queryworker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Key material from settings (PEM text or a PEM file) and the signing primitives (JDK crypto only). */
final class Keys {
    private Keys() {}

    /** PEM text (starts with -----BEGIN) or the path of a PEM file. */
    static String pemText(String valueOrPath) {
        String v = valueOrPath.strip();
        if (v.startsWith("-----BEGIN")) {
            return v;
        }
        try {
            return Files.readString(Path.of(v), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("neither PEM text nor a readable PEM file");
        }
    }

    private static byte[] der(String pem) {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(b64);
    }

    /** The private key of a setting; the error names the setting, never its value. */
    static PrivateKey privateKey(WorkerSettings s, WorkerSettings.Option o) {
        try {
            return privateKey(s.get(o));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting '" + o.key() + "': " + e.getMessage());
        }
    }

    static PublicKey publicKey(WorkerSettings s, WorkerSettings.Option o) {
        try {
            return publicKey(s.get(o));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting '" + o.key() + "': " + e.getMessage());
        }
    }

    static Map<String, PublicKey> publicKeys(WorkerSettings s, WorkerSettings.Option o) {
        try {
            return publicKeys(s.keyMap(o));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting '" + o.key() + "': " + e.getMessage());
        }
    }

    static PrivateKey privateKey(String valueOrPath) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pemText(valueOrPath))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // never echo the value: it is a secret
            throw new IllegalArgumentException("not an RSA private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)");
        }
    }

    static PublicKey publicKey(String valueOrPath) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pemText(valueOrPath))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an RSA public key in PEM (-----BEGIN PUBLIC KEY-----)");
        }
    }

    static Map<String, PublicKey> publicKeys(Map<String, String> byId) {
        Map<String, PublicKey> out = new LinkedHashMap<>();
        byId.forEach((id, v) -> out.put(id, publicKey(v)));
        return out;
    }

    static String sign(PrivateKey key, String content) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verify(PublicKey key, String content, String signatureBase64) {
        if (key == null || signatureBase64 == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update(content.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static String hmacSha256Base64(byte[] secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String content) {
        try {
            return HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code k1=v1&k2=v2} over the sorted keys, without {@code excluded} keys and empty values. */
    static String sortedContent(Map<String, String> params, String... excluded) {
        TreeMap<String, String> sorted = new TreeMap<>(params);
        for (String e : excluded) {
            sorted.remove(e);
        }
        StringJoiner j = new StringJoiner("&");
        sorted.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                j.add(k + "=" + v);
            }
        });
        return j.toString();
    }
}
