package dev.palisade.auth.api;

import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.auth.domain.SecondFactorService;
import dev.palisade.auth.security.TotpAuthenticator;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Two-factor sign-in with an authenticator app (TOTP) and recovery codes. */
@Path("/api/v1/mfa")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("**")
public class TwoFactorResource {

    public record EnrolmentView(String secret, String otpauthUri, String qrCodePng) {
    }

    public record Code(@Size(max = 16) String code, @Size(max = 32) String recoveryCode) {
    }

    public record RecoveryCodes(List<String> recoveryCodes) {
    }

    private final SecondFactorService secondFactor;
    private final TotpAuthenticator totp;

    @Inject
    JsonWebToken jwt;

    TwoFactorResource(SecondFactorService secondFactor, TotpAuthenticator totp) {
        this.secondFactor = secondFactor;
        this.totp = totp;
    }

    @POST
    @Path("/totp")
    @Consumes(MediaType.WILDCARD)
    @WithTransaction
    @Operation(summary = "Start TOTP enrolment", description = "A new secret, its otpauth:// URI and QR code; confirm with a first code.")
    public Uni<EnrolmentView> enrol() {
        return secondFactor.enrol(account()).map(e -> new EnrolmentView(e.secret(), e.otpauthUri(),
                "data:image/png;base64," + Base64.getEncoder().encodeToString(totp.qrPng(e.otpauthUri()))));
    }

    @GET
    @Path("/totp/qr")
    @Produces("image/png")
    @WithSession
    @Operation(summary = "QR code of the pending enrolment (PNG)")
    public Uni<Response> qr() {
        return secondFactor.pendingUri(account()).map(uri -> uri
                .map(u -> Response.ok(totp.qrPng(u), "image/png").header("Cache-Control", "no-store").build())
                .orElseThrow(() -> AuthProblems.notFound("A pending enrolment")));
    }

    @POST
    @Path("/totp/confirm")
    @WithTransaction
    @Operation(summary = "Confirm TOTP enrolment", description = "Turns two-factor sign-in on; answers the ten recovery codes, once.")
    public Uni<RecoveryCodes> confirm(@Valid @NotNull Code body) {
        return secondFactor.confirm(account(), body.code()).map(RecoveryCodes::new);
    }

    @DELETE
    @Path("/totp")
    @WithTransaction
    @Operation(summary = "Turn two-factor sign-in off", description = "Needs an aal2 session and a fresh code (TOTP or recovery).")
    public Uni<Response> disable(@Valid @NotNull Code body) {
        requireAal2();
        return secondFactor.disable(account(), body.code(), body.recoveryCode()).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/recovery-codes")
    @WithTransaction
    @Operation(summary = "Replace my recovery codes", description = "Needs an aal2 session and a fresh TOTP code.")
    public Uni<RecoveryCodes> regenerate(@Valid @NotNull Code body) {
        requireAal2();
        return secondFactor.regenerateRecoveryCodes(account(), body.code()).map(RecoveryCodes::new);
    }

    private UUID account() {
        return AccountIds.of(jwt);
    }

    private void requireAal2() {
        if (!"aal2".equals(jwt.getClaim("acr"))) {
            throw AuthProblems.stepUpRequired();
        }
    }
}
