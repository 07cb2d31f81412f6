package dev.canopy.cloud.directory;

import dev.canopy.storage.directory.DirectoryJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * Reads a request body of at most {@link DirectoryJson#RECORD_BYTES_MAX} bytes (unless told another bound). A larger one is
 * answered 413 and its connection closed after the answer: reading on would let a client hold
 * the server's memory, and the rest of the body must not be taken for the next request.
 */
final class RecordBody {

  private RecordBody() {}

  static void read(HttpServerRequest request, Consumer<Buffer> then) {
    read(request, DirectoryJson.RECORD_BYTES_MAX, then);
  }

  /** A body of at most {@code bytesMax} bytes. */
  static void read(HttpServerRequest request, int bytesMax, Consumer<Buffer> then) {
    String declared = request.getHeader("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        length = -1;
      }
      if (length < 0) {
        StorageDirectoryServer.error(request, 400, DirectoryJson.BAD_REQUEST, "Content-Length is not a number");
        return;
      }
      if (length > bytesMax) {
        tooLarge(request, bytesMax);
        return;
      }
    }
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > bytesMax) {
        request.handler(null);
        tooLarge(request, bytesMax);
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> {
      if (!request.response().ended()) {
        then.accept(body);
      }
    });
  }

  private static void tooLarge(HttpServerRequest request, int bytesMax) {
    request.response().putHeader("Connection", "close");
    StorageDirectoryServer.error(request, 413, DirectoryJson.TOO_LARGE, "a body may have at most " + bytesMax + " bytes")
        .onComplete(v -> request.connection().close());
  }
}
