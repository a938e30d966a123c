package io.segfx.model;

import java.io.Serializable;

/**
 * One input row of a causal-impact series, as it travels from the scan to the series' analysis.
 *
 * @param time the time, as a number (dates as days since 1970-01-01)
 * @param y the outcome
 * @param controls the control series' values
 * @param intervention the series' intervention time
 */
public record SeriesPoint(double time, double y, double[] controls, double intervention)
    implements Serializable {}
