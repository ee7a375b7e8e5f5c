/**
 * Internal to hpkp-filter's modules: public only because another module of the project uses it.
 * Not API; anything here may change or go in any release.
 */
package dev.hpkp.keys.internal;
