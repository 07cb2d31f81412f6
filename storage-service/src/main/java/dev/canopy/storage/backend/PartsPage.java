package dev.canopy.storage.backend;

import java.util.List;

/** One page of ListParts; {@code nextMarker} is the last part number returned (0 when none). */
public record PartsPage(UploadInfo upload, List<PartInfo> parts, boolean truncated, int nextMarker) {}
