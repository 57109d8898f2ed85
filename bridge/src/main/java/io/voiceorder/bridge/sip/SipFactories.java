package io.voiceorder.bridge.sip;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/** JAIN-SIP's stateless factories, shared by every stack in the process. */
public final class SipFactories {
    public static final AddressFactory ADDRESSES;
    public static final HeaderFactory HEADERS;
    public static final MessageFactory MESSAGES;

    static {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        try {
            ADDRESSES = factory.createAddressFactory();
            HEADERS = factory.createHeaderFactory();
            MESSAGES = factory.createMessageFactory();
        } catch (PeerUnavailableException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SipFactories() {
    }
}
