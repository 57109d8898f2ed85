/**
 * NAT traversal of the bridge (bridge.md §8): the public address by STUN Binding, and per call the
 * RTP socket's STUN mapping or a TURN relay, both through ice4j's STUN stack and TURN client.
 */
package io.voiceorder.bridge.nat;
