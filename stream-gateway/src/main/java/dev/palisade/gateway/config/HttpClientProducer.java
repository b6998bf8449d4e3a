package dev.palisade.gateway.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/** One non-blocking HTTP client (keep-alive pools per host) for origins, entitlement-service and auth-service. */
@ApplicationScoped
public class HttpClientProducer {

    @Produces
    @ApplicationScoped
    WebClient webClient(Vertx vertx) {
        return WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("palisade-stream-gateway")
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setConnectTimeout(1000)
                .setFollowRedirects(false)
                .setTryUseCompression(false));
    }

    void close(@Disposes WebClient client) {
        client.close();
    }
}
