// The code of this package lands with issue #5.
export {};
