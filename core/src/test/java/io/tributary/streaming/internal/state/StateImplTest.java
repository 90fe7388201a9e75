package io.tributary.streaming.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link io.tributary.State} contract, as mapping functions see it. */
class StateImplTest {

  @Test
  void anAbsentStateDoesNotExistAndGetFailsClearly() {
    StateImpl<String> state = new StateImpl<>();
    state.wrap(null);
    assertThat(state.exists()).isFalse();
    assertThat(state.getOption()).isEmpty();
    assertThatThrownBy(state::get).isInstanceOf(NoSuchElementException.class).hasMessageContaining("exists()");
  }

  @Test
  void updateSetsTheStateAndRemoveDropsIt() {
    StateImpl<String> state = new StateImpl<>();
    state.wrap("old");
    assertThat(state.get()).isEqualTo("old");
    state.update("new");
    assertThat(state.getOption()).isEqualTo(Optional.of("new"));
    assertThat(state.isUpdated()).isTrue();
    state.remove();
    assertThat(state.exists()).isFalse();
    assertThat(state.isRemoved()).isTrue();
    assertThatThrownBy(state::remove).isInstanceOf(IllegalStateException.class).hasMessageContaining("already been removed");
    assertThatThrownBy(() -> state.update("again")).isInstanceOf(IllegalStateException.class).hasMessageContaining("removed");
    assertThatThrownBy(() -> new StateImpl<String>().update(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("remove()");
  }

  @Test
  void aTimingOutStateCanBeReadButNotUpdatedOrRemoved() {
    StateImpl<Integer> state = new StateImpl<>();
    state.wrapTimingOut(7);
    assertThat(state.isTimingOut()).isTrue();
    assertThat(state.get()).isEqualTo(7);
    assertThatThrownBy(() -> state.update(8)).isInstanceOf(IllegalStateException.class).hasMessageContaining("timing out");
    assertThatThrownBy(state::remove).isInstanceOf(IllegalStateException.class).hasMessageContaining("timing out");
    state.wrap(1);
    assertThat(state.isTimingOut()).isFalse();
    assertThat(state.isUpdated()).isFalse();
  }
}
