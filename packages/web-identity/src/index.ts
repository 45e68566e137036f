// The code of this package lands with issue #4.
export {};
