package io.segfx.spark;

import java.io.Serializable;

/**
 * Shuffle key of stage 1: an (experiment, segment) cell, or, when {@code rejected}, a quarantine
 * reason (held in {@code segment}).
 */
record CellKey(boolean rejected, String experiment, String segment) implements Serializable {}
