/**
 * The controllers' side of the storage process's internal key-value endpoint: {@link
 * dev.canopy.cloud.storeclient.RemoteSystemStore} is the {@link
 * dev.canopy.storage.local.SystemStore} a controller's grid writes through to when the cloud has
 * several controllers (one shared durable store, so that a full restart loses nothing), and
 * {@link dev.canopy.cloud.storeclient.StoragePeers} issues the storage process's certificate and
 * turns Canopy's certificate roles into the TLS checks of both ends (the server in {@code
 * dev.canopy.storage.internal} knows no roles).
 */
package dev.canopy.cloud.storeclient;
