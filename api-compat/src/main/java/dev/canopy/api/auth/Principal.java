package dev.canopy.api.auth;

/** Who signed a verified request: the account every action is authorised against. */
public record Principal(String accountId, String accessKeyId) {}
