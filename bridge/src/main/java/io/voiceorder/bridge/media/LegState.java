package io.voiceorder.bridge.media;

/**
 * The life of a media leg. OPEN: ports bound; CONNECTING/CONNECTED: the stream to serve is being
 * opened / is open; ACTIVE: {@code start} sent, RTP both ways on the pacer; DRAINING: serve is gone,
 * its queued audio still plays; JOINED: the stream is over and the media flows to and from another
 * leg (bridged transfer); ENDED: RTP stopped, stream closed; CLOSED: ports released.
 */
enum LegState {
    OPEN, CONNECTING, CONNECTED, ACTIVE, DRAINING, JOINED, ENDED, CLOSED
}
