/**
 * The operator's console calls on the console port: the cloud overview ({@code GET /api/cloud}), every
 * tenant's instances ({@code GET /api/admin/instances}) and images ({@code GET|DELETE
 * /api/admin/images}). Only the operator's session or the administrator's key may call them; a
 * tenant's session is {@code 403 AccessDenied}.
 */
package dev.canopy.cloud.operatorapi;
