package bot_test

import (
	"context"
	"regexp"
	"testing"
	"time"
)

var inviteLink = regexp.MustCompile(`https://t\.me/duban_test_bot\?start=([A-Za-z0-9_-]+)`)

func newInvite(t *testing.T, h *harness, dept string) string {
	t.Helper()
	co := h.chat(coordinator)
	co.Send("/invite " + dept)
	m := inviteLink.FindStringSubmatch(co.LastText())
	if m == nil {
		t.Fatalf("no invite link in %q", co.LastText())
	}
	if len(m[1]) > 64 {
		t.Fatalf("token %q longer than a /start payload may be", m[1])
	}
	return m[1]
}

func TestInviteBindsOnceAndExpires(t *testing.T) {
	h := newHarness(t)
	token := newInvite(t, h, "市贸促会")

	newcomer := h.chat(3001)
	newcomer.Send("/start " + token)
	mustContain(t, newcomer.LastText(), "您已成为「市贸促会」的联络员")
	newcomer.Send("/whoami")
	mustContain(t, newcomer.LastText(), "联络员（市贸促会）")

	second := h.chat(3002)
	second.Send("/start " + token)
	mustContain(t, second.LastText(), "已被使用")

	forged := h.chat(3003)
	forged.Send("/start Zm9yZ2VkLXRva2VuLTEyMzQ1")
	mustContain(t, forged.LastText(), "邀请链接无效")

	late := newInvite(t, h, "市贸促会")
	h.clk.Advance(7*24*time.Hour + time.Second)
	deputy := h.chat(3004)
	deputy.Send("/start " + late)
	mustContain(t, deputy.LastText(), "已过期")

	for _, id := range []int64{3002, 3003, 3004} {
		if _, err := h.st.ContactByTelegramID(context.Background(), id); err == nil {
			t.Errorf("user %d was bound by a refused token", id)
		}
	}
}

func TestSecondInviteMakesADeputy(t *testing.T) {
	h := newHarness(t)
	c := h.chat(3101)
	c.Send("/start " + newInvite(t, h, "市科协")) // 市科协 already has its main contact
	mustContain(t, c.LastText(), "副联络员")
}

func TestOnlyCoordinatorsInvite(t *testing.T) {
	h := newHarness(t)
	c := h.chat(kexie)
	c.Send("/invite 市科协")
	mustContain(t, c.LastText(), "仅限督查考核办")
	co := h.chat(coordinator)
	co.Send("/invite 市不存在局")
	mustContain(t, co.LastText(), "找不到部门「市不存在局」")
}

func TestCommandMenus(t *testing.T) {
	h := newHarness(t)
	contact := h.srv.Commands("all_private_chats")
	coord := h.srv.Commands("chat")
	if len(contact) == 0 || len(coord) <= len(contact) {
		t.Fatalf("menus: contact %v, coordinator %v; want a longer coordinator menu", contact, coord)
	}
	if contact[0].Command != "report" || contact[0].Description != "填报本期进度" {
		t.Errorf("first contact command = %+v, want report 填报本期进度", contact[0])
	}
}
