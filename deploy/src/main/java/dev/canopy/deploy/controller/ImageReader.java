package dev.canopy.deploy.controller;

import dev.canopy.api.auth.Credential;
import dev.canopy.cloud.crypto.MasterKey;
import dev.canopy.storage.s3.S3Server;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The cloud's internal credential for presigning image downloads. Its account id contains a ':',
 * which no tenant account id (twelve digits) can, so S3's "read any object" grant for it can never
 * apply to a tenant. It is derived from the master key, so every controller signs with the same
 * one and the storage nodes learn it from any controller, with nothing stored; whoever learns it
 * learns neither the master key nor any other secret derived from it.
 */
final class ImageReader {

  static final String ACCOUNT = S3Server.IMAGE_READER_ACCOUNT;
  /** Long enough for a node to start a download while busy; a link cannot be used after it. */
  static final Duration LINK_LIFETIME = Duration.ofMinutes(15);
  private static final String PURPOSE = "canopy image-reader credential v1";

  private ImageReader() {}

  static Credential of(MasterKey key) {
    byte[] derived = key.derive(PURPOSE);
    byte[] id = Arrays.copyOfRange(derived, 0, 10);
    byte[] secret = Arrays.copyOfRange(key.derive(PURPOSE + " secret"), 0, 30);
    return new Credential("CNPYIMG" + HexFormat.of().withUpperCase().formatHex(id), Base64.getEncoder().encodeToString(secret), ACCOUNT);
  }
}
