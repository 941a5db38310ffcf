package org.crustyclaw.config.toml;

/** One part of a (possibly dotted) key as written in the source, with where it starts. */
record TomlKey(String name, Position position) {
}
