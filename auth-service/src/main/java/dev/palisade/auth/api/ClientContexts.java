package dev.palisade.auth.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import dev.palisade.auth.domain.ClientContext;
import io.vertx.core.http.HttpServerRequest;

/**
 * The client context of the current request. The IP is the connection's peer after Quarkus' trusted-proxy handling
 * ({@code quarkus.http.proxy.*}), so X-Forwarded-For counts only when it comes from a trusted proxy.
 */
@RequestScoped
public class ClientContexts {

    static final int MAX_HEADER = 256;

    @Inject
    HttpServerRequest request;

    public ClientContext current() {
        String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return new ClientContext(ip, header("User-Agent"), header("X-Device-Id"), header("X-Client-Country"));
    }

    private String header(String name) {
        String value = request.getHeader(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.length() > MAX_HEADER ? value.substring(0, MAX_HEADER) : value;
    }
}
