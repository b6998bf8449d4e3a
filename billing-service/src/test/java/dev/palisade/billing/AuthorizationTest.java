package dev.palisade.billing;

import dev.palisade.testsupport.contract.OperatorEndpointContract;
import io.quarkus.test.junit.QuarkusTest;

/** Tokens verified by quarkus-oidc against the issuer's published keys; roles enforced; problem+json errors. */
@QuarkusTest
class AuthorizationTest extends OperatorEndpointContract {
}
