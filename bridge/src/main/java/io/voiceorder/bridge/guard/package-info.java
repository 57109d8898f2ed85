/**
 * Scanner and flood defence and SIP input hygiene (bridge.md §5.3 rule 1, §9.2, §9.5): a per-source policy
 * ({@link io.voiceorder.bridge.guard.SourceGuard}) consulted by two JAIN-SIP hooks, one ahead of the parser
 * ({@link io.voiceorder.bridge.guard.GuardedMessageParserFactory}) and one before transactions exist
 * ({@link io.voiceorder.bridge.guard.GuardValve}).
 */
package io.voiceorder.bridge.guard;
