package io.voiceorder.app.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlayoutLedgerTest {
    @Test
    void echoedMarksAdvanceTheHeardPositionAndClearedOnesDoNot() {
        PlayoutLedger ledger = new PlayoutLedger();
        PlayoutLedger.ItemAudio item = ledger.item("item_1", "resp_1");
        ledger.received(item, 600);
        ledger.sent("item_1:1", item, 160);
        ledger.sent("item_1:2", item, 160);
        ledger.sent("item_1:3", item, 160);
        ledger.sent("item_1:4", item, 120); // padded last chunk: 120 bytes of audio
        assertThat(ledger.hasUnplayed()).isTrue();
        assertThat(ledger.markEchoed("unknown")).isFalse();
        assertThat(ledger.markEchoed("item_1:2")).isTrue();
        assertThat(item.heardMs()).isEqualTo(40);
        assertThat(ledger.itemsWithUnplayedAudio()).extracting(i -> i.itemId).containsExactly("item_1");

        assertThat(ledger.discardUnplayed()).isEqualTo(280);
        assertThat(ledger.hasUnplayed()).isFalse();
        assertThat(ledger.isDrained()).isFalse();
        ledger.markEchoed("item_1:3");
        ledger.markEchoed("item_1:4");
        assertThat(item.heardMs()).isEqualTo(40);
        assertThat(ledger.isDrained()).isTrue();
    }

    @Test
    void chunkerCutsAnyDeltaSizeInto160AndPadsTheLast() {
        AudioChunker chunker = new AudioChunker();
        assertThat(chunker.feed(new byte[100])).isEmpty();
        List<byte[]> chunks = chunker.feed(new byte[300]);
        assertThat(chunks).hasSize(2).allSatisfy(c -> assertThat(c).hasSize(160));
        assertThat(chunker.pendingBytes()).isEqualTo(80);
        byte[] last = chunker.flush();
        assertThat(last).hasSize(160);
        assertThat(last[79]).isEqualTo((byte) 0);
        assertThat(last[80]).isEqualTo((byte) 0xFF);
        assertThat(chunker.flush()).isNull();
    }
}
