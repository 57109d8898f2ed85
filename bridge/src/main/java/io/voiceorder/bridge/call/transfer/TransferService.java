package io.voiceorder.bridge.call.transfer;

import io.voiceorder.bridge.call.CallContext;
import io.voiceorder.bridge.call.CallRefusedException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Admits and starts transfers (bridge.md §3.5): on the call's own executor, so two requests cannot both
 * pass the checks — 409 {@code not_answered}, 409 {@code transfer_in_progress}, then routing and the
 * toll-fraud guard (400, 403, 429) — and the transfer starts in the mode of {@code --transfer-mode}.
 */
public final class TransferService {
    private static final long ADMISSION_WAIT_MS = 5_000;

    private final CallContext ctx;
    private final TransferRouter router;
    private final TransferLegs legs;

    public TransferService(CallContext ctx, TransferRouter router, TransferLegs legs) {
        this.ctx = ctx;
        this.router = router;
        this.legs = legs;
    }

    public Transfer start(TransferableCall call, TransferRequest request) throws CallRefusedException {
        CompletableFuture<Transfer> admitted = new CompletableFuture<>();
        call.execute(() -> {
            try {
                admitted.complete(admit(call, request));
            } catch (CallRefusedException e) {
                admitted.completeExceptionally(e);
            } catch (RuntimeException e) {
                admitted.completeExceptionally(e);
            }
        });
        try {
            return admitted.get(ADMISSION_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CallRefusedException refused) {
                throw refused;
            }
            throw new IllegalStateException("transfer not started", e.getCause());
        } catch (TimeoutException e) {
            throw new CallRefusedException(503, "busy", "The call did not take the transfer in time; retry.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallRefusedException(503, "busy", "Interrupted.");
        }
    }

    private Transfer admit(TransferableCall call, TransferRequest request) throws CallRefusedException {
        if (!call.answered()) {
            throw new CallRefusedException(409, "not_answered", "Only an answered call can be transferred.");
        }
        if (call.transfer().filter(t -> t.pending() || t.joined()).isPresent()) {
            throw new CallRefusedException(409, "transfer_in_progress", "This call is already being transferred.");
        }
        TransferTarget target = router.route(request.destination(), call.route());
        Transfer transfer = new Transfer(ctx, call, target, ctx.config().transferMode(), request.timeoutSec(), legs);
        call.transfer(transfer);
        transfer.start();
        return transfer;
    }
}
