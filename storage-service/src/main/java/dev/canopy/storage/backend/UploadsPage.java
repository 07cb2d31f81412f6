package dev.canopy.storage.backend;

import java.util.List;

/** One page of ListMultipartUploads, in key then upload id order. */
public record UploadsPage(List<UploadInfo> uploads, boolean truncated) {}
