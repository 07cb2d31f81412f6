/**
 * S3 browser-form uploads (POST Object) without HTTP: the policy document a form carries and the
 * check of a form's fields against its conditions. The S3 layer reads the form and streams the
 * file; what a policy allows is decided here.
 */
package dev.canopy.storage.s3.post;
