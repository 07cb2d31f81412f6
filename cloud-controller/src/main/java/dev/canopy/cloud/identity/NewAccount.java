package dev.canopy.cloud.identity;

import dev.canopy.api.auth.Credential;

/** A freshly created account and its first access key; the only time the secret is shown. */
public record NewAccount(Account account, Credential credential) {}
