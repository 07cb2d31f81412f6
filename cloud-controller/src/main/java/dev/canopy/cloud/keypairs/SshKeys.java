package dev.canopy.cloud.keypairs;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * OpenSSH key material and the fingerprints AWS shows. AWS computes fingerprints differently by
 * origin, and clients compare them with what they compute locally, so each is reproduced exactly:
 * <ul>
 *   <li>RSA created by EC2: SHA-1 of the PKCS#8 DER private key, colon-separated hex;
 *   <li>RSA imported: MD5 of the DER SubjectPublicKeyInfo, colon-separated hex;
 *   <li>ed25519 (either): base64 SHA-256 of the OpenSSH public key blob, with '=' padding.
 * </ul>
 */
public final class SshKeys {

  /** AWS creates 2048-bit RSA keys and imports 1024 to 4096; above 16384 is a denial of service. */
  static final int RSA_CREATED_BITS = 2048;
  static final int RSA_IMPORT_BITS_MIN = 1024;
  static final int RSA_IMPORT_BITS_MAX = 16384;
  /** An OpenSSH public key line is well under this; the bound keeps junk from being decoded. */
  static final int PUBLIC_LINE_CHARS_MAX = 16 * 1024;

  /** Generated material: the public line (without comment), the private PEM, the fingerprint. */
  public record Generated(String keyType, String publicKeyBase64, String privateKeyPem, String fingerprint) {
    @Override
    public String toString() {
      return "Generated[" + keyType + ", " + fingerprint + "]";
    }
  }

  /** A parsed public key line. */
  public record Parsed(String keyType, String publicKeyBase64, String fingerprint) {}

  private SshKeys() {}

  public static Generated generateRsa(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(RSA_CREATED_BITS, RSAKeyGenParameterSpec.F4), random);
      java.security.KeyPair pair = generator.generateKeyPair();
      byte[] pkcs8 = pair.getPrivate().getEncoded();
      // AWS hands out PKCS#1 ("BEGIN RSA PRIVATE KEY"), which every ssh and PuTTYgen reads.
      byte[] pkcs1 = PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded();
      RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
      byte[] blob = OpenSSHPublicKeyUtil.encodePublicKey(new RSAKeyParameters(false, pub.getModulus(), pub.getPublicExponent()));
      return new Generated("rsa", base64(blob), pem("RSA PRIVATE KEY", pkcs1), colonHex(digest("SHA-1", pkcs8)));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("RSA key generation is part of every JDK", e);
    }
  }

  public static Generated generateEd25519(SecureRandom random) {
    Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
    generator.init(new Ed25519KeyGenerationParameters(random));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    try {
      byte[] blob = OpenSSHPublicKeyUtil.encodePublicKey(pair.getPublic());
      byte[] privateBlob = OpenSSHPrivateKeyUtil.encodePrivateKey(pair.getPrivate());
      return new Generated("ed25519", base64(blob), pem("OPENSSH PRIVATE KEY", privateBlob), sha256Fingerprint(blob));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("encoding a key just generated writes to memory only", e);
    }
  }

  /**
   * Parses an OpenSSH public key line ({@code ssh-rsa AAAA... comment} or {@code ssh-ed25519 ...})
   * and computes the fingerprint AWS shows for an imported key.
   *
   * @throws dev.canopy.api.error.AwsException InvalidKeyPair.Format for anything else
   */
  public static Parsed parseImported(byte[] material) {
    String text = new String(material, StandardCharsets.UTF_8).trim();
    if (text.isEmpty() || text.length() > PUBLIC_LINE_CHARS_MAX) {
      throw KeyPairErrors.format("expected one line of at most " + PUBLIC_LINE_CHARS_MAX + " characters");
    }
    String[] fields = text.split("\\s+", 3);
    if (fields.length < 2) {
      throw KeyPairErrors.format("expected 'type base64 [comment]'");
    }
    byte[] blob;
    AsymmetricKeyParameter key;
    try {
      blob = Base64.getDecoder().decode(fields[1]);
      key = OpenSSHPublicKeyUtil.parsePublicKey(blob);
    } catch (RuntimeException e) {
      // BouncyCastle signals malformed blobs with several unchecked types; all mean "junk".
      throw KeyPairErrors.format("the key data cannot be decoded");
    }
    String blobType = new String(blob, 4, Math.min(blob.length - 4, readLength(blob)), StandardCharsets.US_ASCII);
    if (!blobType.equals(fields[0])) {
      throw KeyPairErrors.format("the key type '" + fields[0] + "' does not match its data");
    }
    if (key instanceof Ed25519PublicKeyParameters) {
      return new Parsed("ed25519", base64(blob), sha256Fingerprint(blob));
    }
    if (key instanceof RSAKeyParameters rsa && fields[0].equals("ssh-rsa")) {
      int bits = rsa.getModulus().bitLength();
      if (bits < RSA_IMPORT_BITS_MIN || bits > RSA_IMPORT_BITS_MAX) {
        throw KeyPairErrors.format("RSA keys must have " + RSA_IMPORT_BITS_MIN + " to " + RSA_IMPORT_BITS_MAX + " bits");
      }
      return new Parsed("rsa", base64(blob), colonHex(digest("MD5", spki(rsa.getModulus(), rsa.getExponent()))));
    }
    throw KeyPairErrors.format("only ssh-rsa and ssh-ed25519 keys are supported");
  }

  /** The DER SubjectPublicKeyInfo of an RSA public key: what AWS hashes for imported keys. */
  static byte[] spki(BigInteger modulus, BigInteger exponent) {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw KeyPairErrors.format("the RSA key is invalid");
    }
  }

  static String sha256Fingerprint(byte[] blob) {
    return Base64.getEncoder().encodeToString(digest("SHA-256", blob));
  }

  private static int readLength(byte[] blob) {
    return ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
  }

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }

  static String colonHex(byte[] digest) {
    return HexFormat.ofDelimiter(":").formatHex(digest);
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** PEM with 64-column lines and no trailing newline, as AWS's keyMaterial has. */
  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----";
  }
}
