package org.rhythmsearch.audio;

/**
 * What the first and last bytes of a file say about it, before any decoder runs.
 *
 * @param container the recognised container
 * @param declaredFrames sample frames (per channel) the header declares, or -1 if unknown
 * @param leadingSamples samples (per channel) the decoder emits before the real start of the audio
 *     (MP3 encoder + decoder delay and the Xing/Info frame; Opus: the header's pre-skip at 48 kHz); 0
 *     for other containers
 * @param endMissing whether the container's end marker is missing (OGG without an end-of-stream page)
 */
record SniffedFile(
    Container container,
    long declaredFrames,
    int leadingSamples,
    boolean endMissing) {}
