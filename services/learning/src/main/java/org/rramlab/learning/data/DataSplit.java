package org.rramlab.learning.data;

/** A training set and a test set of the same kind. */
public record DataSplit(DatasetKind kind, Dataset train, Dataset test) {}
