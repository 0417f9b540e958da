package org.rhythmsearch.search;

/**
 * A query cannot be answered: its audio gave no vector, the track asked for is not in the index, or
 * the search asked for is not available (e.g. LSH without stored tables). The message is one line
 * naming the query and the reason.
 */
public final class QueryException extends Exception {

  private static final long serialVersionUID = 1L;

  public QueryException(String message) {
    super(message);
  }
}
