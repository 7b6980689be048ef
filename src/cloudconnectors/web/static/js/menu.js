// One shared ARIA menu (menu button pattern) for every row's three-dot button.
// Keys: Enter/Space/ArrowDown open on the first item, ArrowUp on the last; in the menu
// ArrowUp/ArrowDown move, Home/End jump, Escape closes and returns focus, Tab closes.

export class RowMenu {
  constructor(menuEl, onAction) {
    this.menu = menuEl;
    this.onAction = onAction;
    this.button = null;
    this.context = null;
    this.menu.addEventListener("keydown", (event) => this.#onMenuKey(event));
    this.menu.addEventListener("click", (event) => {
      const item = event.target.closest("[role=menuitem]");
      if (!item) return;
      event.preventDefault();
      this.#choose(item);
    });
    document.addEventListener("pointerdown", (event) => {
      if (this.isOpen && !this.menu.contains(event.target) && event.target !== this.button
          && !this.button?.contains(event.target)) this.close(false);
    });
    window.addEventListener("resize", () => this.close(false));
    window.addEventListener("scroll", () => this.isOpen && this.#position(), true);
  }

  get isOpen() { return !this.menu.hidden; }
  get items() { return [...this.menu.querySelectorAll("[role=menuitem]")]; }

  // Wire one trigger button; `context()` returns what the chosen action applies to.
  attach(button, context) {
    button.setAttribute("aria-haspopup", "menu");
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => {
      if (this.isOpen && this.button === button) this.close(true);
      else this.open(button, context(), 0);
    });
    button.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.open(button, context(), 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        this.open(button, context(), -1);
      }
    });
  }

  open(button, context, focusIndex) {
    if (this.isOpen) this.close(false);
    this.button = button;
    this.context = context;
    const open = this.menu.querySelector('[data-action="open"]');
    if (open && context?.href) open.setAttribute("href", context.href);
    this.menu.setAttribute("aria-label", `Actions for ${context?.name ?? "connector"}`);
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-controls", this.menu.id);
    this.menu.hidden = false;
    this.#position();
    const items = this.items;
    items.at(focusIndex)?.focus();
  }

  close(returnFocus) {
    if (!this.isOpen) return;
    this.menu.hidden = true;
    if (this.button) {
      this.button.setAttribute("aria-expanded", "false");
      this.button.removeAttribute("aria-controls");
      if (returnFocus) this.button.focus();
    }
  }

  #position() {
    if (!this.button) return;
    const rect = this.button.getBoundingClientRect();
    const width = this.menu.offsetWidth || 180;
    const height = this.menu.offsetHeight || 160;
    const top = rect.bottom + 4 + height > window.innerHeight ? rect.top - height - 4 : rect.bottom + 4;
    this.menu.style.top = `${Math.max(4, top)}px`;
    this.menu.style.left = `${Math.max(4, rect.right - width)}px`;
  }

  #choose(item) {
    const action = item.dataset.action;
    const context = this.context;
    if (action === "open") {
      this.close(false);
      location.assign(context.href);
      return;
    }
    this.close(true);
    this.onAction(action, context);
  }

  #onMenuKey(event) {
    const items = this.items;
    const index = items.indexOf(document.activeElement);
    const focus = (i) => items[(i + items.length) % items.length].focus();
    switch (event.key) {
      case "ArrowDown": event.preventDefault(); focus(index + 1); break;
      case "ArrowUp": event.preventDefault(); focus(index - 1); break;
      case "Home": event.preventDefault(); focus(0); break;
      case "End": event.preventDefault(); focus(items.length - 1); break;
      case "Escape": event.preventDefault(); this.close(true); break;
      case "Tab": this.close(true); break;
      case "Enter": case " ":
        if (index >= 0) { event.preventDefault(); this.#choose(items[index]); }
        break;
      default: {
        // Type-ahead: jump to the next item starting with the typed letter.
        if (event.key.length === 1) {
          const letter = event.key.toLowerCase();
          const next = items.findIndex((it, i) => i > index && it.textContent.trim().toLowerCase().startsWith(letter));
          const first = items.findIndex((it) => it.textContent.trim().toLowerCase().startsWith(letter));
          const target = next >= 0 ? next : first;
          if (target >= 0) focus(target);
        }
      }
    }
  }
}
