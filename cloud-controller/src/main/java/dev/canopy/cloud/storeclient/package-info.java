/**
 * The controllers' side of the storage process's internal endpoint. {@link
 * dev.canopy.cloud.storeclient.StorageEndpoint} is the one mutual-TLS client of it (connection
 * pool, timeouts, retries when a connection fails); on it, {@link
 * dev.canopy.cloud.storeclient.RemoteSystemStore} is the {@link
 * dev.canopy.storage.local.SystemStore} a controller's grid writes through to when the cloud has
 * several controllers (one shared durable store, so that a full restart loses nothing), and
 * {@link dev.canopy.cloud.storeclient.RemoteObjectDigests} asks for objects' sizes and SHA-256s
 * (image delivery, RegisterImage's check). {@link dev.canopy.cloud.storeclient.StoragePeers}
 * issues the storage process's certificate and names the roles each end admits.
 */
package dev.canopy.cloud.storeclient;
