/**
 * The Riak-compatible HTTP interface over any {@link dev.canopy.storage.kv.KvService}: Riak 2.x's
 * object, link-walking, key-listing, bucket-properties, ping and stats resources, with Riak's
 * status codes, headers and bodies, so that existing Riak HTTP clients and curl work unchanged
 * (the interface is described, with curl examples, in {@code docs/riak-http.md}).
 *
 * <p>{@link dev.canopy.storage.kv.riak.RiakHttpServer} owns the listener: it authenticates (none on
 * a loopback bind, as Riak's default; HTTP basic over TLS anywhere else), parses the path ({@link
 * dev.canopy.storage.kv.riak.RiakRoute}) and hands the exchange to one handler per resource
 * family. Handlers parse, make one store call and render; store failures map to statuses in one
 * place ({@link dev.canopy.storage.kv.riak.RiakExchange#fail}). Nothing here decides replication,
 * causality or quorums: the store does, behind the interface.
 */
package dev.canopy.storage.kv.riak;
