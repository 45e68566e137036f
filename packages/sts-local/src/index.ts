// The code of this package lands with issue #3.
export {};
