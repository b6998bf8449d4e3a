package dev.palisade.auth.api;

import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.auth.domain.SessionService;
import dev.palisade.auth.domain.SignInService;
import dev.palisade.auth.domain.TokenPair;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Registration and sign-in: password, then (when enrolled) a second factor. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SignInResource {

    public record Registration(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 1024) String password) {
    }

    public record Accepted(String status, String message) {
    }

    public record Credentials(@NotBlank @Size(max = 254) String email, @NotNull @Size(max = 1024) String password) {
    }

    public record SecondFactor(@NotBlank @Size(max = 128) String mfaToken, @Size(max = 16) String code,
            @Size(max = 32) String recoveryCode) {
    }

    /** Either tokens, or {@code mfaRequired} with the token for the second step. */
    public record SignInResult(boolean mfaRequired, String mfaToken, Long mfaExpiresIn, String accessToken, String tokenType,
            Long expiresIn, String refreshToken, String sessionId, String acr) {

        static SignInResult of(TokenPair t) {
            return new SignInResult(false, null, null, t.accessToken(), "Bearer", t.expiresInSeconds(), t.refreshToken(),
                    t.sessionId(), t.acr());
        }
    }

    private final SignInService signIn;
    private final SessionService sessions;
    private final ClientContexts clients;

    @Inject
    JsonWebToken jwt;

    SignInResource(SignInService signIn, SessionService sessions, ClientContexts clients) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.clients = clients;
    }

    @POST
    @Path("/accounts")
    @PermitAll
    @Operation(summary = "Register", description = "Always 202 with the same body, whether or not the address was taken.")
    public Uni<Response> register(@Valid @NotNull Registration body) {
        return signIn.register(body.email(), body.password()).map(ignored -> Response.accepted(new Accepted("accepted",
                "If this address had no account, it has one now. Sign in to continue.")).build());
    }

    @POST
    @Path("/login")
    @PermitAll
    @Operation(summary = "Sign in with e-mail and password", description = "Tokens, or mfaRequired with an mfaToken for /login/mfa.")
    public Uni<SignInResult> login(@Valid @NotNull Credentials body) {
        return signIn.password(body.email(), body.password(), clients.current()).map(step -> step.tokens() != null
                ? SignInResult.of(step.tokens())
                : new SignInResult(true, step.mfaToken(), step.mfaExpiresInSeconds(), null, null, null, null, null, null));
    }

    @POST
    @Path("/login/mfa")
    @PermitAll
    @Operation(summary = "Second step of sign-in", description = "A TOTP code or a recovery code; each is accepted once.")
    public Uni<SignInResult> secondFactor(@Valid @NotNull SecondFactor body) {
        if ((body.code() == null || body.code().isBlank()) && (body.recoveryCode() == null || body.recoveryCode().isBlank())) {
            throw AuthProblems.invalidField("code", "or recoveryCode is required");
        }
        return signIn.secondFactor(body.mfaToken(), body.code(), body.recoveryCode(), clients.current()).map(SignInResult::of);
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("**")
    @WithTransaction
    @Operation(summary = "Sign out", description = "Ends the session of the presented access token and its refresh tokens.")
    public Uni<Response> logout() {
        String sid = jwt.getClaim("sid");
        if (sid == null) {
            return Uni.createFrom().item(Response.noContent().build());
        }
        return sessions.revokeOwn(AccountIds.of(jwt), UUID.fromString(sid), "logout")
                .map(ignored -> Response.noContent().build());
    }
}
