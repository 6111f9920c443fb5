// The maintained fork of s3rver keeps its API, which @types/s3rver describes.
declare module '@20minutes/s3rver' {
  import S3rver = require('s3rver');
  export = S3rver;
}
