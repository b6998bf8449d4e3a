package dev.palisade.testsupport;

import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/** Runs reactive Panache work from a test thread on a Vert.x context and waits for its result. */
public final class ReactiveTransactions {

    private ReactiveTransactions() {
    }

    public static <T> T inTransaction(Supplier<Uni<T>> work) {
        return run(() -> Panache.withTransaction(work));
    }

    public static <T> T inSession(Supplier<Uni<T>> work) {
        return run(() -> Panache.withSession(work));
    }

    /** Runs reactive work that manages its own sessions and transactions, and waits for its result. */
    public static <T> T await(Supplier<Uni<T>> work) {
        return run(work);
    }

    private static <T> T run(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
