package dev.canopy.storage.s3;

import dev.canopy.api.error.S3Error;
import dev.canopy.api.error.S3Errors;
import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.s3.post.MultipartFormParser;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Reads a POST Object body as it arrives. The fields before the file are collected (at most
 * {@link #FIELDS_BYTES_MAX}); when the file part begins the request is paused and
 * {@link #form()} completes, so the form can be checked before any file byte is stored. Then
 * {@link #streamInto} streams the file the way {@link BodyUpload} streams a PUT body: bytes gather
 * on the event loop up to {@link BodyUpload#FLUSH_BYTES}; the request is paused while a worker
 * hashes (MD5, the ETag) and writes them, and resumed after. Memory per upload is about two flush
 * buffers whatever the file's size; a file growing past its largest allowed size fails at once.
 * Lives on the request's event loop.
 */
final class PostFormReceiver implements MultipartFormParser.Listener {

  /** All fields of a form together, the file excluded (S3 allows 20 KB of them). */
  static final int FIELDS_BYTES_MAX = 20 * 1024;

  private final S3Exchange exchange;
  private final MultipartFormParser parser;
  private final MultiMap fields = MultiMap.caseInsensitiveMultiMap();
  private final Promise<PostForm> form = Promise.promise();
  private final Promise<byte[]> file = Promise.promise();
  private final MessageDigest md5;
  private Buffer pending = Buffer.buffer();
  private long received;
  private long bytesMax = BodyUpload.SINGLE_PUT_BYTES_MAX;
  private BlobWriter blob;
  private boolean streaming;
  private boolean flushing;
  private boolean fileEnded;
  private boolean requestEnded;
  // A failure while a worker writes is held until that write returns: failing at once would let
  // the caller abort the blob while the worker still writes into it.
  private Throwable heldFailure;

  private PostFormReceiver(S3Exchange exchange, String boundary) {
    this.exchange = exchange;
    this.parser = new MultipartFormParser(boundary, FIELDS_BYTES_MAX, this);
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  /** Starts reading the paused request's body. */
  static PostFormReceiver start(S3Exchange exchange, String boundary) {
    PostFormReceiver receiver = new PostFormReceiver(exchange, boundary);
    exchange.request.handler(receiver::onData);
    exchange.request.endHandler(v -> receiver.onEnd());
    // The connection broke (closed, reset, timed out): nobody is left to answer.
    exchange.request.exceptionHandler(failure -> receiver.fail(new ClientGoneException()));
    // The form authenticates itself in its body: a client waiting for 100-continue must send it.
    exchange.sendContinue();
    exchange.request.resume();
    return receiver;
  }

  /** Completes with the fields before the file once the file part begins (the request then waits). */
  Future<PostForm> form() {
    return form.future();
  }

  /** Streams the file into {@code blob}; completes with its MD5 when the file part has ended. */
  Future<byte[]> streamInto(BlobWriter target, long fileBytesMax) {
    if (file.future().isComplete()) {
      return file.future(); // the body already broke off
    }
    blob = target;
    bytesMax = fileBytesMax;
    streaming = true;
    if (received > bytesMax) {
      fail(S3Errors.entityTooLarge());
    } else if (fileEnded || pending.length() >= BodyUpload.FLUSH_BYTES) {
      flush();
    } else {
      exchange.request.resume();
    }
    return file.future();
  }

  private void onData(Buffer data) {
    try {
      parser.feed(data.getBytes(), 0, data.length());
    } catch (MultipartFormParser.MalformedException e) {
      fail(PostForm.malformed());
    }
  }

  private void onEnd() {
    requestEnded = true;
    try {
      parser.finish();
      if (!form.future().isComplete()) {
        form.tryFail(PostForm.fileMissing());
      }
    } catch (MultipartFormParser.MalformedException e) {
      fail(form.future().isComplete() ? S3Error.INCOMPLETE_BODY.exception() : PostForm.malformed());
    }
  }

  @Override
  public void field(String name, String value) {
    fields.add(name, value);
  }

  @Override
  public void fileStart(String name, String filename, String contentType) {
    if (!requestEnded) {
      exchange.request.pause(); // nothing more is read until the form is checked
    }
    if (!name.equalsIgnoreCase("file")) {
      form.tryFail(PostForm.fileMissing());
      return;
    }
    try {
      form.tryComplete(PostForm.of(fields, filename));
    } catch (RuntimeException e) {
      form.tryFail(e);
    }
  }

  @Override
  public void fileData(byte[] data, int offset, int length) {
    received += length;
    if (received > bytesMax) {
      fail(S3Errors.entityTooLarge());
      return;
    }
    pending.appendBytes(data, offset, length);
    if (streaming && !flushing && pending.length() >= BodyUpload.FLUSH_BYTES) {
      flush();
    }
  }

  @Override
  public void fileEnd() {
    fileEnded = true;
    if (streaming && !flushing) {
      flush();
    }
  }

  private void fail(Throwable failure) {
    if (!form.future().isComplete()) {
      form.tryFail(failure);
    } else if (flushing) {
      heldFailure = failure;
    } else {
      file.tryFail(failure);
    }
  }

  private void flush() {
    if (file.future().isComplete()) {
      return;
    }
    flushing = true;
    if (!fileEnded && !requestEnded) {
      exchange.request.pause();
    }
    byte[] bytes = pending.getBytes();
    pending = Buffer.buffer();
    boolean last = fileEnded;
    exchange.blocking(() -> {
      md5.update(bytes);
      blob.write(ByteBuffer.wrap(bytes));
      return null;
    }).onComplete(result -> {
      flushing = false;
      if (heldFailure != null) {
        file.tryFail(heldFailure);
      } else if (result.failed()) {
        file.tryFail(result.cause());
      } else if (last) {
        file.tryComplete(md5.digest());
      } else if (fileEnded || pending.length() >= BodyUpload.FLUSH_BYTES) {
        flush();
      } else if (!requestEnded) {
        exchange.request.resume();
      }
    });
  }
}
