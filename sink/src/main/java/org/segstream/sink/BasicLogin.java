package org.segstream.sink;

import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** HTTP Basic authentication with one user, for the live page; compares in constant time. */
final class BasicLogin extends BasicAuthenticator {
    private final byte[] user;
    private final byte[] password;

    BasicLogin(String user, String password) {
        super("segstream live", StandardCharsets.UTF_8);
        this.user = user.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkCredentials(String givenUser, String givenPassword) {
        boolean userMatches = MessageDigest.isEqual(user, givenUser.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
        return userMatches & passwordMatches;
    }
}
