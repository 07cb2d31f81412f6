/**
 * A tiny streaming XML writer for AWS response bodies (S3 REST-XML, EC2 Query responses). AWS
 * responses are write-only, shallow and namespace-light; a builder with correct escaping is all
 * they need, and it keeps api-compat free of an XML binding framework.
 */
package dev.canopy.api.xml;
